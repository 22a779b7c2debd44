require ["fileinto", "vacation", "vacation-seconds"];
fileinto "Vac"; vacation "And filed.";
