require ["fileinto", "copy"];
fileinto :copy "X";
fileinto "X";
