require ["fileinto"];
fileinto "X"; fileinto "X"; fileinto "Y";
