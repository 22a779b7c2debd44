redirect "a@example.com"; redirect "A@example.com";
