export const RELEASE = "26.05";
