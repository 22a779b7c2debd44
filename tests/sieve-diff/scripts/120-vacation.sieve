require ["fileinto", "vacation", "vacation-seconds"];
vacation :days 200 "Too long.";
