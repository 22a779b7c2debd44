require "nosuchext";
