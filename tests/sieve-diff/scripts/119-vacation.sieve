require ["fileinto", "vacation", "vacation-seconds"];
vacation :days 0 "Zero days.";
