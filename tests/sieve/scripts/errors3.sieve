require ["fileinto"];
fileinto :copy "x";
frobnicate;
if header :is "subject" { keep; }
