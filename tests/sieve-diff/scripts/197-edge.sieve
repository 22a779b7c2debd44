require ["variables", "fileinto", "regex"];
if header :matches "subject" "*" { set "s" "${1}"; }
if string :regex "${s}" "[A-Z]" { fileinto "HasUpper"; }
