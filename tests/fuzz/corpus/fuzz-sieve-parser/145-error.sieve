require "nosuchext";
keep;
