require ["fileinto", "variables"];
if header :matches "from" "*<*>*" { fileinto "F.${2}"; }
