require ["fileinto", "vacation", "vacation-seconds"];
vacation :mime "Content-Type: text/plain\r\n\r\nMIME reply.";
