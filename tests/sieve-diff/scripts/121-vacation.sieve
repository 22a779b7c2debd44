require ["fileinto", "vacation", "vacation-seconds"];
vacation :seconds 3600 "An hour.";
