require ["reject"];
reject "one"; discard;
