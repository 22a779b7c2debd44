require ["fileinto", "vacation", "vacation-seconds"];
if not exists "list-id" { vacation :days 1 "Not a list."; }
