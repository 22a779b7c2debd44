require ["encoded-character", "fileinto"];
fileinto "${hex:46 6f 6f}";
