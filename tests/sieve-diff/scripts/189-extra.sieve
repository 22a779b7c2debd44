require ["fileinto", "variables"];
if header :matches "subject" "*?" { set :upper "s" "${2}"; fileinto "Last${s}"; }
