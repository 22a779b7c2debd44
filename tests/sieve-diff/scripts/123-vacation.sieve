require ["fileinto", "vacation", "vacation-seconds"];
vacation :from "boss@example.com" :subject "Re: your mail" "From the boss.";
