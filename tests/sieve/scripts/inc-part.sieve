require ["include", "variables", "fileinto"];
global "who";
if string :is "${who}" "main" { fileinto "PartSawMain"; }
set "who" "part";
set "local" "x";
return;
fileinto "AfterReturn";
