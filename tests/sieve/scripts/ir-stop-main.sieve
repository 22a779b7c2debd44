require ["include", "fileinto"];
include "ir-stop-part";
fileinto "AfterInclude";
