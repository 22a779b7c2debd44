require ["fileinto", "envelope", "subaddress"];
if envelope :user "to" "recipient" { fileinto "EnvUser"; }
