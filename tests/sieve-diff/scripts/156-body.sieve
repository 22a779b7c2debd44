require ["body", "fileinto"];
if body :contains ["unsubscribe", "invoice"] { fileinto "BodyHit"; }
