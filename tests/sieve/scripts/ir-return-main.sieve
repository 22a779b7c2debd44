require ["include", "fileinto"];
include "ir-return-part";
fileinto "AfterInclude";
