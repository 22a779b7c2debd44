require ["fileinto", "vacation", "vacation-seconds"];
vacation :days 3 :subject "Out of office" "Back soon.";
