require ["fileinto", "variables"];
if header :matches "content-type" "*/*;*" { set :lower "t" "${1}"; fileinto "T.${t}"; }
