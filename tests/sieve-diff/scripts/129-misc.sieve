require ["reject"];
if size :over 1M { reject "too big"; }
