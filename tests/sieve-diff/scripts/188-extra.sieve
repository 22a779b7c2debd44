require ["fileinto", "regex", "variables"];
if header :regex "from" "([a-z0-9.]+)@([a-z0-9.-]+)" { fileinto "RX.${2}"; }
