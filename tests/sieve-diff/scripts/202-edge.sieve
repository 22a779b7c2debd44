require ["fileinto", "variables"];
fileinto "${1}";
