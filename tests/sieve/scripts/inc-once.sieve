require ["fileinto"];
fileinto "Once";
