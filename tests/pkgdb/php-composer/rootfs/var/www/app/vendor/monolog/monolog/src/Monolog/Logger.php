<?php declare(strict_types=1);

namespace Monolog;

class Logger implements LoggerInterface, ResettableInterface
{
}
