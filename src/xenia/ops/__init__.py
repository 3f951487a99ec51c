"""Operations: each lifecycle call as a named list of steps, run through a driver, one VM at a time."""
