require ["environment", "fileinto"];
if environment :is "location" "MS" { fileinto "Ms"; }
if environment :is "phase" "post" { fileinto "Post"; }
