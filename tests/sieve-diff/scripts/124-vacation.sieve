require ["fileinto", "vacation", "vacation-seconds"];
vacation :addresses ["alias@example.com"] :handle "h1" "With handle.";
