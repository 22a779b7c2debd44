require ["include"];
include "inc-does-not-exist";
