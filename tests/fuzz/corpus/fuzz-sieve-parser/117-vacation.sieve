require ["fileinto", "vacation", "vacation-seconds"];
vacation "I am away.";
