export { default } from "@deltacrown/eslint-config";
