require ["fileinto", "vacation", "vacation-seconds"];
vacation :seconds 864000 :subject "Ten days" "Ten days.";
