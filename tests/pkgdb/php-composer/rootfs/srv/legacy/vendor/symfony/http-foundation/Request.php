<?php

namespace Symfony\Component\HttpFoundation;

class Request
{
}
