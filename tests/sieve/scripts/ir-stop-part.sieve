require ["fileinto"];
fileinto "Part";
if true { if true { stop; } }
fileinto "AfterStop";
