require ["variables", "fileinto"];
if header :matches "subject" "*" { set "s" "${1}"; }
if string :contains "${s}" "e" { fileinto "LowerE"; }
if string :comparator "i;ascii-casemap" :contains "${s}" "E" { fileinto "AnyE"; }
