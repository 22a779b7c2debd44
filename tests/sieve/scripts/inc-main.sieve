require ["include", "variables", "fileinto"];
global "who";
set "who" "main";
include "inc-part";
include :once "inc-once";
include :once "inc-once";
include :optional "inc-missing";
if string :is "${who}" "part" { fileinto "GlobalSeen"; }
