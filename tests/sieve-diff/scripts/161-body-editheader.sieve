require ["editheader", "fileinto", "index"];
addheader :last "X-A" "last";
if header :index 1 :last :is "x-a" "last" { fileinto "LastOK"; }
