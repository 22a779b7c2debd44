require ["editheader", "fileinto"];
# Received and Auto-Submitted cannot be deleted; Subject can
deleteheader "received";
deleteheader "auto-submitted";
deleteheader "subject";
if exists "received" { fileinto "HasReceived"; }
if exists "auto-submitted" { fileinto "HasAutoSubmitted"; }
if not exists "subject" { fileinto "SubjectGone"; }
