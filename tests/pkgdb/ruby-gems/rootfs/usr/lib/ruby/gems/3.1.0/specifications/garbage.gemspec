this is not a gem specification
