# include: each script is its own program, reached by a call
require ["include", "variables", "fileinto"];
global "who";
set "who" "main";
include "part";
include :once "part";
include :optional "missing";
if string :is "${who}" "part" {
	fileinto "GlobalSeen";
}
