require ["encoded-character", "fileinto"];
fileinto "caf${unicode:e9}";
