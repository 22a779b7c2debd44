require ["variables"];
set "x.y" "1";
