require ["fileinto", "variables"];
if header :matches "to" "*" { set :length "n" "${1}"; fileinto "Len${n}"; }
