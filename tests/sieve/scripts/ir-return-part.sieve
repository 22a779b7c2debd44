require ["include", "fileinto"];
fileinto "Part";
if anyof (false, true) { if not false { return; } }
fileinto "AfterReturn";
