require ["include"];
include "inc-loop";
