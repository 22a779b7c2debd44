redirect "bad address";
