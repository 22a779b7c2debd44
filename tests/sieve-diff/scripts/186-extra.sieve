require ["fileinto", "variables"];
if header :matches "message-id" "<*@*>" { fileinto "M.${2}"; }
