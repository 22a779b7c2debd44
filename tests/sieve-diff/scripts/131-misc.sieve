require ["fileinto", "reject"];
fileinto "A"; reject "conflict";
