require ["include", "variables", "fileinto"];
global "who";
if string :is "${who}" "main" {
	fileinto "PartSawMain";
	return;
}
set "who" "part";
