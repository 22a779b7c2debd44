require ["fileinto", "vacation", "vacation-seconds"];
if header :contains "subject" "urgent" { vacation :subject "Urgent noted" "We saw it."; }
