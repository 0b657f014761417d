# frozen_string_literal: true

module DEBUGGER__
  VERSION = "1.4.0"
end
